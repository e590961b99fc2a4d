#pragma once
// Tools from other packages that some tests need (haproxy, appstreamcli, pdfinfo). On a
// developer's machine a missing one skips the test and says what to install; in CI it fails the
// test, because installer/install-deps.sh installs every one of them there, so a missing tool is
// a broken runner, and a skip would let the suite pass with the test never run.
#include <QByteArray>
#include <QString>
#include <QtTest>

namespace statelab::test {

// Where `program` is installed: $PATH first, then /usr/sbin and /usr/local/sbin (Debian puts
// haproxy there, and a normal user's PATH may lack them), the order of the engine's
// find_in_path (engine/cluster/cluster_files.cpp). Empty when it is not installed.
QString find_tool(const QString& program);

// True when the environment says this is a CI run (CI=true, as CI services set it).
bool running_in_ci();

} // namespace statelab::test

// Ends the current test function unless `path` (a tool's path, empty when it was not found) is
// set: QSKIP outside CI, QFAIL in CI. `what` names the tool and the package that installs it.
#define REQUIRE_TOOL(path, what)                                                                   \
    do {                                                                                           \
        if (QString(path).isEmpty()) {                                                             \
            const QByteArray missing = QByteArray(what) + " is not installed";                     \
            if (::statelab::test::running_in_ci())                                                 \
                QFAIL((missing + " (CI=true: installer/install-deps.sh must install it)")          \
                          .constData());                                                           \
            QSKIP((missing + " (installer/install-deps.sh installs it)").constData());             \
        }                                                                                          \
    } while (false)
