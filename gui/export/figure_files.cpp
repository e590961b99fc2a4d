#include "export/figure_files.hpp"

#include "export/figure.hpp"

#include <QBuffer>
#include <QClipboard>
#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QPageLayout>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QWidget>

namespace statelab::gui {

namespace {
constexpr int kVectorDpi = 96; // scene units are CSS pixels: 96 per inch

bool failed(QString* error, const QString& message) {
    if (error) *error = message;
    return false;
}
} // namespace

QImage figureImage(Figure& figure, QSize pixels) {
    QImage image(pixels, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    QPainter painter(&image);
    figure.render(&painter, QRectF(QPointF(0, 0), QSizeF(pixels)));
    painter.end();
    return image;
}

bool writePng(Figure& figure, const QString& path, QSize pixels, QString* error) {
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    if (!figureImage(figure, pixels).save(&buffer, "PNG")) return failed(error, QObject::tr("cannot encode the PNG"));
    return writeFile(path, buffer.data(), error);
}

QByteArray figureSvg(Figure& figure, const QString& title) {
    QBuffer buffer;
    QSvgGenerator svg;
    svg.setOutputDevice(&buffer);
    svg.setResolution(kVectorDpi);
    svg.setSize(figure.size().toSize());
    svg.setViewBox(QRectF(QPointF(0, 0), figure.size()));
    svg.setTitle(title);
    svg.setDescription(QObject::tr("Made with StateLab"));
    QPainter painter(&svg);
    figure.render(&painter, QRectF(QPointF(0, 0), figure.size()));
    painter.end();
    return buffer.data();
}

bool writeSvg(Figure& figure, const QString& path, const QString& title, QString* error) {
    return writeFile(path, figureSvg(figure, title), error);
}

bool writePdf(Figure& figure, const QString& path, const QString& title, QString* error) {
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    {
        QPdfWriter pdf(&buffer);
        pdf.setResolution(kVectorDpi);
        pdf.setTitle(title);
        pdf.setCreator(QStringLiteral("StateLab"));
        const QSizeF inches = figure.size() / kVectorDpi;
        pdf.setPageLayout(QPageLayout(QPageSize(inches, QPageSize::Inch, QString(), QPageSize::ExactMatch),
                                      QPageLayout::Portrait, QMarginsF()));
        QPainter painter;
        if (!painter.begin(&pdf)) return failed(error, QObject::tr("cannot start the PDF"));
        figure.render(&painter, QRectF(QPointF(0, 0), figure.size()));
        painter.end();
    }
    return writeFile(path, buffer.data(), error);
}

void copyToClipboard(Figure& figure, QSize pixels) { QGuiApplication::clipboard()->setImage(figureImage(figure, pixels)); }

bool writeWindowPng(QWidget& window, const QString& dir, QString* error) {
    if (!QDir().mkpath(dir)) return failed(error, QObject::tr("cannot create %1").arg(dir));
    const QString png = QDir(dir).filePath(QStringLiteral("window.png"));
    if (!window.grab().save(png)) return failed(error, QObject::tr("cannot write %1").arg(png));
    return true;
}

bool writeFile(const QString& path, const QByteArray& bytes, QString* error) {
    // QSaveFile: a failed export never leaves half a file where a good one was.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        return failed(error, QObject::tr("cannot write %1: %2").arg(path, file.errorString()));
    return true;
}

} // namespace statelab::gui
