#include "server/replica_pages.hpp"

#include "common/http_util.hpp"
#include "server/memory_store.hpp"
#include "server/session_id.hpp"

namespace statelab {

ReplicaPages::ReplicaPages(MemoryStore& copies, std::string token) : m_copies(copies), m_token(std::move(token)) {}

Response ReplicaPages::handle(const Request& req) {
    if (m_token.empty() || !constant_time_equal(header_value(req, "X-Replication-Token"), m_token))
        return make_response(req, http::status::forbidden, "the replica pages need the cluster's replication token\n");
    const std::string sid(target_path(req.target()).substr(std::string_view("/replica/").size()));
    if (!looks_like_session_id(sid))
        return make_response(req, http::status::bad_request, "a session id is 32 lowercase hex digits\n");
    switch (req.method()) {
    case http::verb::put:
        try {
            m_copies.put(sid, session_from_json(req.body()));
        } catch (const std::exception& e) {
            return make_response(req, http::status::bad_request, std::string("not a session: ") + e.what() + "\n");
        }
        return make_response(req, http::status::no_content, {});
    case http::verb::delete_:
        m_copies.destroy(sid);
        return make_response(req, http::status::no_content, {});
    case http::verb::get: {
        LoadResult held = m_copies.load(sid);
        if (held.status != StoreStatus::ok) return make_response(req, http::status::not_found, "no copy here\n");
        return make_response(req, http::status::ok, session_to_json(held.session), "application/json");
    }
    default: {
        Response res = make_response(req, http::status::method_not_allowed, "PUT, GET or DELETE\n");
        res.set(http::field::allow, "PUT, GET, DELETE");
        return res;
    }
    }
}

} // namespace statelab
