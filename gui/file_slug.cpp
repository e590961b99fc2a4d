#include "file_slug.hpp"

namespace statelab::gui {

QString fileSlug(const QString& text, int maxLength) {
    QString slug;
    for (const QChar c : text.toLower()) {
        if (maxLength > 0 && slug.size() >= maxLength) break;
        if (c.isLetterOrNumber() && c.unicode() < 128) slug += c;
        else if (!slug.isEmpty() && !slug.endsWith(QLatin1Char('-'))) slug += QLatin1Char('-');
    }
    while (slug.endsWith(QLatin1Char('-'))) slug.chop(1);
    return slug;
}

} // namespace statelab::gui
