#include "common/logged_completion.hpp"

#include <cstdio>

namespace statelab {

std::string describe_failure(std::exception_ptr failure) {
    try {
        std::rethrow_exception(failure);
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
    }
    return "unknown exception";
}

void log_if_failed::operator()(std::exception_ptr failure) const {
    if (failure) std::fprintf(stderr, "statelab: %s ended on an error: %s\n", what, describe_failure(failure).c_str());
}

} // namespace statelab
