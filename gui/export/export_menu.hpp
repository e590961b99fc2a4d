#pragma once
// The Export menu and each chart's right-click menu: PNG at the slide sizes, SVG, PDF, CSV,
// copy to the clipboard, the HTML report and "everything to a folder". Each action asks the
// window for a fresh RunExport, so it exports what the run holds at that moment.
#include "export/run_export.hpp"

#include <QObject>
#include <QString>

#include <functional>

class QMenu;
class QWidget;

namespace statelab::gui {

class ExportMenu : public QObject {
    Q_OBJECT
public:
    using Source = std::function<RunExport()>;
    ExportMenu(QWidget* window, Source source);

    // Dashboard and per-chart submenus, then report (if `withReport`) and folder export.
    void fill(QMenu* menu, const QStringList& chartTitles, bool withReport);
    // The actions for chart `index` (or the dashboard for -1), for a context menu.
    void addFigureActions(QMenu* menu, int index);

signals:
    void exported(const QString& where); // for the status bar
    void exportFailed(const QString& message);

private:
    QString askPath(const QString& stem, const QString& suffix, const QString& filter);
    void report();
    void folder();
    void done(bool ok, const QString& where, const QString& error);

    QWidget* m_window;
    Source m_source;
    QString m_lastDir;
};

} // namespace statelab::gui
