#pragma once
// Presentation mode (F11): the charts and tiles only, full screen, under a headline with the
// run's key figure in type that reads from the back of a room. Leaving it brings the docks
// and bars back as they were.
#include <QByteArray>
#include <QCoreApplication>
#include <QString>

class QLabel;
class QMainWindow;

namespace statelab::gui {

struct RunTally;

class Presentation {
    Q_DECLARE_TR_FUNCTIONS(Presentation)
public:
    Presentation();
    QLabel* headline() const { return m_headline; } // for the window's layout, which owns it
    static QString headlineText(const RunTally& tally); // "28 sessions lost · 41,210 requests"
    void showFigures(const RunTally& tally);

    bool on() const { return m_on; }
    // Hides or brings back `window`'s docks and bars and fills the screen; false if already so.
    // The window scales its own content.
    bool set(bool on, QMainWindow& window);

private:
    QLabel* m_headline;
    bool m_on = false;
    QByteArray m_stateBefore; // the docks as they were
};

} // namespace statelab::gui
