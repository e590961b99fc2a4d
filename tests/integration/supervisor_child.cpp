// A small real program for tst_supervisor's no-orphans test: launches a 2-node sticky cluster,
// prints `pid <N>` for every child and then `ready`, and sleeps until it is killed. The test
// SIGKILLs it and checks that every child died with it (PR_SET_PDEATHSIG).
// Usage: supervisor_child BIN_DIR RUN_DIR
#include "cluster/supervisor.hpp"

#include <unistd.h>

#include <cstdio>
#include <exception>

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: supervisor_child BIN_DIR RUN_DIR\n");
        return 2;
    }
    statelab::ClusterSpec spec;
    spec.nodes = 2;
    spec.bin_dir = argv[1];
    spec.run_dir = argv[2];
    try {
        statelab::Supervisor supervisor(spec);
        supervisor.launch();
        for (const auto& status : supervisor.statuses()) std::printf("pid %d\n", status.pid);
        std::printf("ready\n");
        std::fflush(stdout);
        while (true) ::pause();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "supervisor_child: %s\n", e.what());
        return 1;
    }
}
