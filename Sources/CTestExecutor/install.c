#include "CTestExecutor.h"

// Defined in Swift (RecTesting), where NIO is reachable.
extern void rec_test_install_event_loop_executor(void);

// Runs when the test binary loads, before Swift Testing starts any task: the global executor can only be replaced
// before the first task exists.
__attribute__((constructor)) static void rec_test_executor_constructor(void) {
    rec_test_install_event_loop_executor();
}
