import NIOCore
import NIOPosix
import Synchronization

/// Whether NIO's event loops run Swift concurrency in this test process, as in `recommender serve`.
public let eventLoopExecutorInstalled = Atomic<Bool>(false)

/// Makes NIO's event loops Swift concurrency's global executor (called by CTestExecutor's load-time constructor, before
/// any task exists), so tests run the app as `serve` runs it: a blocking call on a loop stalls them as it would stall
/// requests.
@_cdecl("rec_test_install_event_loop_executor")
public func installEventLoopExecutor() {
    let installed = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    eventLoopExecutorInstalled.store(installed, ordering: .releasing)
}
