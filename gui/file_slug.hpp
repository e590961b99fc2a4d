#pragma once
// File and folder names that say what is inside: "Requests per server" -> requests-per-server.
#include <QString>

namespace statelab::gui {

// Lower-case ASCII letters and digits, runs of anything else as one '-', none at either end;
// at most `maxLength` characters (0: no limit). Empty when `text` has no letter or digit.
QString fileSlug(const QString& text, int maxLength = 0);

} // namespace statelab::gui
