#include "theme.hpp"

#include <QApplication>
#include <QPalette>
#include <QStyleFactory>

namespace statelab::gui {

Theme lightTheme() {
    Theme t;
    t.dark = false;
    t.window = QColor(0xf3f4f6);
    t.panel = QColor(0xffffff);
    t.text = QColor(0x1f2329);
    t.mutedText = QColor(0x5f6670);
    t.chartBackground = QColor(0xffffff);
    t.plotBackground = QColor(0xffffff);
    t.grid = QColor(0xe3e6ea);
    t.axis = QColor(0x9aa1a9);
    t.tileBackground = QColor(0xffffff);
    t.tileBorder = QColor(0xd5d9de);
    return t;
}

Theme darkTheme() {
    Theme t;
    t.dark = true;
    t.window = QColor(0x1e2126);
    t.panel = QColor(0x272b31);
    t.text = QColor(0xe8eaed);
    t.mutedText = QColor(0xa3a9b1);
    t.chartBackground = QColor(0x272b31);
    t.plotBackground = QColor(0x272b31);
    t.grid = QColor(0x3a3f47);
    t.axis = QColor(0x6c737c);
    t.tileBackground = QColor(0x2d3138);
    t.tileBorder = QColor(0x434953);
    return t;
}

void applyTheme(QApplication& app, const Theme& t) {
    app.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QPalette p;
    p.setColor(QPalette::Window, t.window);
    p.setColor(QPalette::WindowText, t.text);
    p.setColor(QPalette::Base, t.panel);
    p.setColor(QPalette::AlternateBase, t.window);
    p.setColor(QPalette::Text, t.text);
    p.setColor(QPalette::Button, t.dark ? QColor(0x343941) : QColor(0xe9ecef));
    p.setColor(QPalette::ButtonText, t.text);
    p.setColor(QPalette::ToolTipBase, t.panel);
    p.setColor(QPalette::ToolTipText, t.text);
    p.setColor(QPalette::PlaceholderText, t.mutedText);
    p.setColor(QPalette::Highlight, QColor(0x2f6fde));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x2f6fde));
    p.setColor(QPalette::Mid, t.tileBorder);
    p.setColor(QPalette::Disabled, QPalette::Text, t.mutedText);
    p.setColor(QPalette::Disabled, QPalette::ButtonText, t.mutedText);
    p.setColor(QPalette::Disabled, QPalette::WindowText, t.mutedText);
    app.setPalette(p);
}

QString badgeStyle(const QColor& background) {
    const QColor text = background.lightness() > 150 ? QColor(0x1f2329) : QColor(Qt::white);
    return QStringLiteral("QLabel { background: %1; color: %2; border-radius: 4px; padding: 1px 8px; font-weight: 600; }")
        .arg(background.name(), text.name());
}

} // namespace statelab::gui
