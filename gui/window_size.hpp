#pragma once
// How large a top-level window opens: 1600x1000 where it fits; on a smaller screen (a 1280x800
// projector), the whole screen. A screen below 1280x760 is the offscreen platform's 800x600
// stand-in: windows (and exports made from them) get 1600x1000 there.
#include <QSize>

namespace statelab::gui {

QSize openingWindowSize();

} // namespace statelab::gui
