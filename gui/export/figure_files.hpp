#pragma once
// A Figure to files: PNG at the slide sizes, SVG and PDF as vectors, and the clipboard.
#include <QImage>
#include <QSize>
#include <QString>

#include <array>

class QWidget;

namespace statelab::gui {

class Figure;

struct PngSize {
    const char* label; // "1920 × 1080 (Full HD)"
    QSize pixels;
};
// 16:9 like a slide: 720p for a laptop deck, 1080p for a projector, 4K for a big screen.
inline constexpr std::array<PngSize, 3> kPngSizes{{{"1280 × 720", QSize(1280, 720)},
                                                   {"1920 × 1080", QSize(1920, 1080)},
                                                   {"3840 × 2160 (4K)", QSize(3840, 2160)}}};

// Rendered at `pixels`, not scaled up from a smaller image: sharp at every size.
QImage figureImage(Figure& figure, QSize pixels);
bool writePng(Figure& figure, const QString& path, QSize pixels, QString* error);
// SVG document (text stays text); `title` goes into its <title>.
QByteArray figureSvg(Figure& figure, const QString& title);
bool writeSvg(Figure& figure, const QString& path, const QString& title, QString* error);
// One page the size of the figure (1280x720 px at 96 dpi = a 13.33 x 7.5 in slide).
bool writePdf(Figure& figure, const QString& path, const QString& title, QString* error);
void copyToClipboard(Figure& figure, QSize pixels);
// DIR/window.png: the window as it is on screen (creates DIR).
bool writeWindowPng(QWidget& window, const QString& dir, QString* error);
// Writes `bytes` to `path` whole, or explains why not.
bool writeFile(const QString& path, const QByteArray& bytes, QString* error);

} // namespace statelab::gui
