#pragma once
// statelab [--scenario F] [--autostart] [--lesson NAME] [--export-dir DIR --exit-after S] (DESIGN.md, "Command lines")
// statelab --compare DIR1 DIR2... [--export-dir OUT --exit-after S]
#include <QString>
#include <QStringList>

class QCommandLineParser;

namespace statelab::gui {

struct CommandLine {
    QString scenario;    // empty: none
    bool autostart = false;
    QString lesson;      // empty: none
    QString exportDir;   // empty: no export
    double exitAfter = 0; // seconds; 0: stay open
    QStringList compareDirs; // --compare: run folders; empty: the lab window
};

struct CommandLineResult {
    CommandLine options;
    QString error; // one line for stderr; empty on success
};

// Declares the options on `parser` (so --help lists them) and parses `arguments`.
// --help and --version are left to the caller (QCommandLineParser::process shows them).
void declareOptions(QCommandLineParser& parser);
CommandLineResult readOptions(const QCommandLineParser& parser);

} // namespace statelab::gui
