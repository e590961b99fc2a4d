#pragma once
// Light and dark looks. Applied by hand to the palette and to each chart (instead of
// QChart::setTheme) because a chart theme would reset the per-node series colours and fonts.
#include <QColor>
#include <QString>

class QApplication;

namespace statelab::gui {

struct Theme {
    bool dark = false;
    QColor window, panel, text, mutedText;
    QColor chartBackground, plotBackground, grid, axis;
    QColor tileBackground, tileBorder;
};

Theme lightTheme();
Theme darkTheme();
// Fusion style with the theme's palette, so both looks are identical on every desktop.
void applyTheme(QApplication& app, const Theme& theme);
// Style sheet fragment for a coloured state badge ("UP" on green).
QString badgeStyle(const QColor& background);

} // namespace statelab::gui
