#include "command_line.hpp"

#include <QCommandLineParser>

namespace statelab::gui {

void declareOptions(QCommandLineParser& parser) {
    parser.setApplicationDescription(
        QStringLiteral("StateLab: launch a real cluster, drive traffic at it, and watch what happens to user "
                       "sessions when servers die."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({QStringLiteral("scenario"), QStringLiteral("Load the scenario file <file> (JSON)."),
                      QStringLiteral("file")});
    parser.addOption({QStringLiteral("autostart"),
                      QStringLiteral("Launch the scenario's cluster, start its traffic and play its timeline.")});
    parser.addOption({QStringLiteral("lesson"),
                      QStringLiteral("Start the lesson <name> (statelab-cli lesson --list names them), as its Start "
                                     "button does."),
                      QStringLiteral("name")});
    parser.addOption({QStringLiteral("export-dir"),
                      QStringLiteral("With --exit-after: write window.png, summary.json, timeseries.csv, report.html, "
                                     "the dashboard and each chart as PNG, SVG, PDF and CSV into <dir>."),
                      QStringLiteral("dir")});
    parser.addOption({QStringLiteral("exit-after"),
                      QStringLiteral("Export (see --export-dir) after <seconds>, stop everything and exit (default: stay open)."),
                      QStringLiteral("seconds")});
    parser.addOption({QStringLiteral("compare"),
                      QStringLiteral("Open the run folders given as arguments (two or more, as statelab-cli run --out "
                                     "or the window writes them) overlaid in one chart per metric.")});
    parser.addPositionalArgument(QStringLiteral("dirs"), QStringLiteral("Run folders, with --compare."),
                                 QStringLiteral("[--compare DIR1 DIR2...]"));
}

CommandLineResult readOptions(const QCommandLineParser& parser) {
    CommandLineResult result;
    CommandLine& o = result.options;
    o.scenario = parser.value(QStringLiteral("scenario"));
    o.autostart = parser.isSet(QStringLiteral("autostart"));
    o.lesson = parser.value(QStringLiteral("lesson"));
    o.exportDir = parser.value(QStringLiteral("export-dir"));
    if (parser.isSet(QStringLiteral("exit-after"))) {
        bool ok = false;
        o.exitAfter = parser.value(QStringLiteral("exit-after")).toDouble(&ok);
        if (!ok || o.exitAfter <= 0 || o.exitAfter > 86400)
            result.error = QStringLiteral("--exit-after must be a number of seconds in (0, 86400]");
    }
    if (result.error.isEmpty() && !o.exportDir.isEmpty() && o.exitAfter <= 0)
        result.error = QStringLiteral("--export-dir needs --exit-after S (when to export)");
    if (result.error.isEmpty() && o.autostart && o.scenario.isEmpty())
        result.error = QStringLiteral("--autostart needs --scenario F");
    if (result.error.isEmpty() && !o.lesson.isEmpty() && (o.autostart || !o.scenario.isEmpty()))
        result.error = QStringLiteral("--lesson runs the lesson's own scenario: it takes no --scenario or --autostart");
    if (parser.isSet(QStringLiteral("compare"))) {
        o.compareDirs = parser.positionalArguments();
        if (result.error.isEmpty() && o.compareDirs.size() < 2)
            result.error = QStringLiteral("--compare needs two or more run folders");
        if (result.error.isEmpty() && (o.autostart || !o.scenario.isEmpty()))
            result.error = QStringLiteral("--compare shows finished runs: it takes no --scenario or --autostart");
    } else if (result.error.isEmpty() && !parser.positionalArguments().isEmpty()) {
        result.error = QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first());
    }
    return result;
}

} // namespace statelab::gui
