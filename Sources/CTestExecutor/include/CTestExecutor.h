// Installs NIO's event loops as Swift concurrency's global executor when a test binary loads, as `recommender serve`
// does first thing: the tests then run the app on the executor production uses (see RecTesting/EventLoopExecutor).
#pragma once
