#pragma once
// The Export menu and each chart's right-click menu: PNG at the slide sizes, SVG, PDF, CSV,
// copy to the clipboard, the HTML report and "everything to a folder". Each action asks the
// window for a fresh RunExport, so it exports what the run holds at that moment.
#include "export/run_export.hpp"

#include <QObject>
#include <QString>

#include <functional>
#include <vector>

class QMainWindow;
class QMenu;

namespace statelab::gui {

class ChartViewBase;

class ExportMenu : public QObject {
    Q_OBJECT
public:
    using Source = std::function<RunExport()>;
    // Writes a whole export folder (the window's own: screenshot, raw results, every figure).
    using FolderWriter = std::function<bool(const QString& dir, QString* error)>;
    // Reports to `window`: where an export went in its status bar, a failure in a dialog.
    ExportMenu(QMainWindow* window, Source source, FolderWriter folderWriter);

    // An Export menu in the window's menu bar (dashboard, per-chart submenus, the report if
    // `withReport`, everything to a folder), and each chart's right-click menu.
    // Adds the Export menu (returned, for more entries) and each chart's right-click menu.
    QMenu* install(const std::vector<ChartViewBase*>& charts, bool withReport);
    // The actions for chart `index` (or the dashboard for -1), for a context menu.
    void addFigureActions(QMenu* menu, int index);

private:
    QString askPath(const QString& stem, const QString& suffix, const QString& filter);
    void report();
    void folder();
    void done(bool ok, const QString& where, const QString& error);

    QMainWindow* m_window;
    Source m_source;
    FolderWriter m_folderWriter;
    QString m_lastDir;
};

} // namespace statelab::gui
