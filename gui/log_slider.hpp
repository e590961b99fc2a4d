#pragma once
// A slider over 0..max on a logarithmic scale, so 10, 100, 1,000 and 10,000 users are all
// one comfortable drag apart. Position 0 is exactly 0; value() is the mapped value.
#include <QSlider>

namespace statelab::gui {

class LogSlider : public QSlider {
    Q_OBJECT
public:
    explicit LogSlider(int maximum, QWidget* parent = nullptr);

    int value() const;
    void setValue(int value);
    int maximumValue() const { return m_maximum; }

    // The mapping both ways, public for tests.
    int valueAt(int position) const;
    int positionOf(int value) const;

signals:
    void mappedValueChanged(int value);

private:
    int m_maximum;
    int m_exact = -1; // a value set in code (a scenario's 300 users) is kept exactly, not rounded
};

} // namespace statelab::gui
