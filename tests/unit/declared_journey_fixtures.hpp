#pragma once
#include <utility>
// Scenarios for tst_declared_journey, apart: moc's lexer loses its way in multi-line raw strings.
namespace {
const char* const captures_scenario = R"({"name":"t","target":{"url":"http://127.0.0.1:8080"},"duration_s":5,"traffic":{"users":1,
          "journey":{"steps":[
            {"method":"POST","path":"/session","body":"{\"name\":\"{user}\"}","capture":{"token":{"json":"auth.token"},"node":{"header":"X-Node"},"sid":{"cookie":"SID"}}},
            {"method":"PUT","path":"/notes/{token}?n={n}","headers":{"Authorization":"Bearer {token}"},"write":{"state":"notes","value":"note {n}"},
             "body":"{\"text\":\"{value}\"}","expect":[200,201],"think_ms":5,"check":[{"field":"notes","holds":"notes"}]}]}}})";
const char* const in_doubt_scenario = R"({"name":"t","target":{"url":"http://127.0.0.1:8080"},"duration_s":5,
          "traffic":{"users":1,"journey":{"steps":[{"method":"POST","path":"/login"},
            {"method":"POST","path":"/add?item={value}","repeat":2,"write":{"state":"items","value":"i{n}"},
             "check":[{"field":"items","holds":"items","exact":true}]}]}}})";
// A check that a field is a known value: the user's own name, with no write to compare it with.
const char* const equals_scenario = R"({"name":"t","target":{"url":"http://127.0.0.1:8080"},"duration_s":5,
          "traffic":{"users":1,"journey":[{"method":"POST","path":"/login?user={user}"},
            {"path":"/me","check":[{"field":"user","equals":"{user}"}]}]}})";
// A target that is wrong, and what the error line says (the scenario around it is fine).
const std::pair<const char*, const char*> bad_targets[] = {
    {R"({"name":"t","duration_s":5,"traffic":{"users":1},"target":{"url":"https://shop.example:443"}})", "https is not supported"},
    {R"({"name":"t","duration_s":5,"traffic":{"users":1},"target":{"url":"http://127.0.0.1:80/app"}})", "without a path"},
    {R"({"name":"t","duration_s":5,"traffic":{"users":1},"target":{"url":"http://127.0.0.1:0"}})", "the port must be 1 to 65535"},
    {R"({"name":"t","duration_s":5,"traffic":{"users":1},"mode":"sticky","nodes":2,"actions":{"node-1":{"kill":"x"}}})", "need a \"target\""},
    {R"({"name":"t","duration_s":5,"traffic":{"users":1},"target":{"url":"http://127.0.0.1:80"},"actions":{"web":{"add":"x"}}})", "not 'add'"},
    {R"({"name":"t","duration_s":5,"traffic":{"users":1},"target":{"url":"http://127.0.0.1:80"},"actions":{"web-1":{"kill":"x"}},"timeline":[{"at_s":1,"action":"kill","target":"web-2"}]})", "'web-2' has no commands in \"actions\" (it has: web-1)"},
    {R"({"name":"t","duration_s":5,"traffic":{"users":1},"target":{"url":"http://127.0.0.1:80"},"actions":{"web-1":{"kill":"x"}},"timeline":[{"at_s":1,"action":"restart","target":"web-1"}]})", "has no command for 'restart'"},
    {R"({"name":"t","duration_s":5,"traffic":{"users":1},"target":{"url":"http://127.0.0.1:80","served_by":{"query":"x"}}})", "field 'target.served_by'"},
};
} // namespace
