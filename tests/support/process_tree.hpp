#pragma once
// What /proc says about a program a test started and the processes it started in turn: for
// the no-orphans tests (statelab-cli and the window killed with SIGKILL).
#include <set>

namespace statelab::test {

// Every live descendant of `root` (children, their children, ...).
std::set<int> descendants(int root);
// The descendants that run another program than `root` does: what it launched. Leaves out
// clones of `root` itself that never exec (LeakSanitizer's tracer at exit, a fork before exec).
std::set<int> launched_programs(int root);
// Gone: no such process, or a zombie that is not ours to reap.
bool process_gone(int pid);
// Waits up to `timeout_ms` for every pid in `pids` to be gone; the first one still there, or 0.
int first_survivor(const std::set<int>& pids, int timeout_ms);

} // namespace statelab::test
