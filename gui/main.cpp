// statelab: the lab window, or with --compare the comparison of finished runs.
// See command_line.hpp for the options.
#include "command_line.hpp"
#include "compare/compare_window.hpp"
#include "main_window.hpp"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QMessageBox>
#include <QTimer>

#include <cstdio>
#include <functional>

using namespace statelab::gui;

namespace {
// --exit-after: after `seconds`, export (when asked), close the window and leave.
void exitAfter(QWidget& window, const CommandLine& options, std::function<bool(const QString&, QString*)> exportTo) {
    if (options.exitAfter <= 0) return;
    QTimer::singleShot(static_cast<int>(options.exitAfter * 1000), &window, [&window, options, exportTo] {
        int code = 0;
        if (!options.exportDir.isEmpty()) {
            QString error;
            if (!exportTo(options.exportDir, &error)) {
                std::fprintf(stderr, "statelab: export failed: %s\n", qPrintable(error));
                code = 1;
            } else {
                std::fprintf(stderr, "statelab: exported to %s\n", qPrintable(options.exportDir));
            }
        }
        window.close(); // the lab window stops its cluster here
        QApplication::exit(code);
    });
}

// The options, read before any window system is touched: --help, --version and a bad option
// work without a display (over ssh, in CI). Exits there; otherwise returns what was asked.
CommandLineResult parseCommandLine(int argc, char** argv) {
    QCoreApplication core(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("statelab"));
    QCoreApplication::setApplicationVersion(QStringLiteral(STATELAB_VERSION));
    QCommandLineParser parser;
    declareOptions(parser);
    parser.process(core); // --help, --version and unknown options end here
    return readOptions(parser);
}

// On a real screen the error also gets a dialog: whoever double-clicked has no terminal.
void reportStartError(const QString& message) {
    std::fprintf(stderr, "statelab: %s\n", qPrintable(message));
    const QString platform = QGuiApplication::platformName();
    if (platform == QLatin1String("xcb") || platform.startsWith(QLatin1String("wayland")))
        QMessageBox::critical(nullptr, QObject::tr("StateLab cannot start"), message);
}
} // namespace

int main(int argc, char** argv) {
    const CommandLineResult parsed = parseCommandLine(argc, argv);
    if (!parsed.error.isEmpty()) {
        std::fprintf(stderr, "statelab: %s\n", qPrintable(parsed.error));
        return 2;
    }
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("statelab"));
    QApplication::setApplicationDisplayName(QStringLiteral("StateLab"));
    QApplication::setApplicationVersion(QStringLiteral(STATELAB_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/statelab/icon.png")));
    // Lets the desktop (Wayland above all) match the window to its menu entry and icon.
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.statelab.StateLab"));
    QFont font = QApplication::font();
    font.setPointSizeF(std::max(10.0, font.pointSizeF())); // readable from the back of a room
    QApplication::setFont(font);

    const CommandLine& options = parsed.options;
    const bool dark = qEnvironmentVariable("STATELAB_THEME") == QLatin1String("dark");

    if (!options.compareDirs.isEmpty()) {
        applyTheme(app, dark ? darkTheme() : lightTheme());
        CompareWindow window;
        window.applyTheme(dark ? darkTheme() : lightTheme());
        QString error;
        if (!window.showRuns(options.compareDirs, &error)) {
            reportStartError(error);
            return 2;
        }
        window.show();
        exitAfter(window, options, [&window](const QString& dir, QString* e) { return window.exportTo(dir, e); });
        return app.exec();
    }

    MainWindow window;
    // View > Dark theme, preselected (for screenshots of the dark look from scripts).
    if (dark) window.setTheme(true);
    if (!options.scenario.isEmpty()) {
        QString error;
        if (!window.loadScenario(options.scenario, &error)) {
            reportStartError(error);
            return 2;
        }
    }
    window.show();
    if (options.autostart) window.runScenario();
    if (!options.lesson.isEmpty()) {
        QString error;
        if (!window.startLessonNamed(options.lesson, &error)) {
            reportStartError(error);
            return 2;
        }
    }
    exitAfter(window, options, [&window](const QString& dir, QString* e) { return window.exportResults(dir, e); });
    return app.exec();
}
