// statelab: the lab window. See command_line.hpp for the options.
#include "command_line.hpp"
#include "main_window.hpp"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

#include <cstdio>

using namespace statelab::gui;

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("statelab"));
    QApplication::setApplicationDisplayName(QStringLiteral("StateLab"));
    QApplication::setApplicationVersion(QStringLiteral("0.1.0"));
    QFont font = QApplication::font();
    font.setPointSizeF(std::max(10.0, font.pointSizeF())); // readable from the back of a room
    QApplication::setFont(font);

    QCommandLineParser parser;
    declareOptions(parser);
    parser.process(app); // --help, --version and unknown options end here
    const CommandLineResult parsed = readOptions(parser);
    if (!parsed.error.isEmpty()) {
        std::fprintf(stderr, "statelab: %s\n", qPrintable(parsed.error));
        return 2;
    }
    const CommandLine& options = parsed.options;

    MainWindow window;
    // View > Dark theme, preselected (for screenshots of the dark look from scripts).
    if (qEnvironmentVariable("STATELAB_THEME") == QLatin1String("dark")) window.setTheme(true);
    if (!options.scenario.isEmpty()) {
        QString error;
        if (!window.loadScenario(options.scenario, &error)) {
            std::fprintf(stderr, "statelab: %s\n", qPrintable(error));
            return 2;
        }
    }
    window.show();
    if (options.autostart) window.runScenario();

    if (options.exitAfter > 0) {
        QTimer::singleShot(static_cast<int>(options.exitAfter * 1000), &window, [&] {
            int code = 0;
            if (!options.exportDir.isEmpty()) {
                QString error;
                if (!window.exportResults(options.exportDir, &error)) {
                    std::fprintf(stderr, "statelab: export failed: %s\n", qPrintable(error));
                    code = 1;
                }
            }
            window.close(); // stops the cluster
            QApplication::exit(code);
        });
    }
    return app.exec();
}
