#include "window_size.hpp"

#include <QGuiApplication>
#include <QScreen>

#include <algorithm>

namespace statelab::gui {

QSize openingWindowSize() {
    const QScreen* primary = QGuiApplication::primaryScreen();
    const QRect screen = primary ? primary->availableGeometry() : QRect();
    const bool realScreen = screen.width() >= 1280 && screen.height() >= 760;
    return realScreen ? QSize(std::min(1600, screen.width()), std::min(1000, screen.height())) : QSize(1600, 1000);
}

} // namespace statelab::gui
