#pragma once
// A completion for asio::co_spawn that says when a coroutine ended on an exception, where
// asio::detached would drop it without a word.
#include <exception>
#include <string>

namespace statelab {

// What ended it: the exception's what(), or "unknown exception".
std::string describe_failure(std::exception_ptr failure);

// co_spawn(executor, coroutine(), log_if_failed{"a health check loop"}): on an exception, one
// line on stderr naming `what` (a literal: nothing allocated per spawn) and the error.
struct log_if_failed {
    const char* what;
    void operator()(std::exception_ptr failure) const;
};

} // namespace statelab
