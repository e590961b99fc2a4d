// A small real program for tst_required_tool: one Qt Test function that needs a tool nobody has
// installed. Its exit code and output show what REQUIRE_TOOL did with it under the CI it got.
#include "support/required_tool.hpp"

#include <QtTest>

class RequiredToolProbe : public QObject {
    Q_OBJECT
private slots:
    void needsAMissingTool() {
        REQUIRE_TOOL(statelab::test::find_tool("statelab-no-such-tool"), "statelab-no-such-tool");
        QFAIL("REQUIRE_TOOL let the test go on without its tool");
    }
};

QTEST_APPLESS_MAIN(RequiredToolProbe)
#include "required_tool_probe.moc"
