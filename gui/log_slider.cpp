#include "log_slider.hpp"

#include <algorithm>
#include <cmath>

namespace statelab::gui {

namespace {
constexpr int kSteps = 1000;
}

LogSlider::LogSlider(int maximum, QWidget* parent) : QSlider(Qt::Horizontal, parent), m_maximum(maximum) {
    setRange(0, kSteps);
    setSingleStep(10);
    setPageStep(100);
    connect(this, &QSlider::valueChanged, this, [this](int) { emit mappedValueChanged(value()); });
}

int LogSlider::valueAt(int position) const {
    if (position <= 0) return 0;
    // value = maximum^(position/steps): position 1 is about 1, the last position is maximum.
    return static_cast<int>(std::lround(std::pow(static_cast<double>(m_maximum), double(position) / kSteps)));
}

int LogSlider::positionOf(int value) const {
    if (value <= 0) return 0;
    if (value >= m_maximum) return kSteps;
    return std::max(1, static_cast<int>(std::lround(std::log(double(value)) / std::log(double(m_maximum)) * kSteps)));
}

int LogSlider::value() const {
    const int position = QSlider::value();
    return m_exact >= 0 && positionOf(m_exact) == position ? m_exact : valueAt(position);
}

void LogSlider::setValue(int value) {
    m_exact = std::clamp(value, 0, m_maximum);
    const int position = positionOf(m_exact);
    if (position == QSlider::value()) emit mappedValueChanged(this->value());
    else QSlider::setValue(position);
}

} // namespace statelab::gui
