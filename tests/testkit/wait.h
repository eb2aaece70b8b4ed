#pragma once

#include <functional>

namespace portico::testkit {

/// Runs the event loop until `done()` is true or `timeoutMs` passed; returns done(). Unlike
/// QTest::qWaitFor it never sleeps between event batches, so socket-heavy tests run at full speed.
bool waitUntil(const std::function<bool()> &done, int timeoutMs = 5000);

} // namespace portico::testkit
