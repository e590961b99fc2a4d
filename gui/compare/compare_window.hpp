#pragma once
// Runs side by side: tick two or more (the window's own runs, or any folder statelab-cli wrote)
// and every metric gets one chart with a line per run. Exports like the lab window's charts.
#include "compare/run_record.hpp"
#include "theme.hpp"

#include <QMainWindow>

#include <vector>

class QLabel;
class QListWidget;

namespace statelab::gui {

class ChartViewBase;
class ExportMenu;

class CompareWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit CompareWindow(QWidget* parent = nullptr);

    // Lists `dirs` (ticked) above the kept runs; false with the first unreadable folder's reason.
    bool showRuns(const QStringList& dirs, QString* error);
    // window.png plus, per metric, PNG/SVG/PDF/CSV and the dashboard, into `dir`.
    bool exportTo(const QString& dir, QString* error);
    void applyTheme(const Theme& theme);

    // Deletes a kept run's folder (only one under runsRoot()) and takes it off the list.
    bool deleteRun(const QString& dir, QString* error);
    // Ticks exactly these run folders (in the list already).
    void tickOnly(const QStringList& dirs);

    const std::vector<RunRecord>& runs() const { return m_runs; }
    const std::vector<ChartViewBase*>& charts() const { return m_charts; }

private:
    void keyPressEvent(QKeyEvent* event) override; // Escape closes it, as a dialog
    void addRunFolder();
    void deleteSelectedRun();
    bool addItem(const QString& dir, bool checked, QString* error);
    void refresh(); // reloads the ticked runs into the charts

    QListWidget* m_list;
    QLabel* m_figures;
    std::vector<ChartViewBase*> m_charts;
    std::vector<RunRecord> m_runs;
    ExportMenu* m_export;
};

} // namespace statelab::gui
