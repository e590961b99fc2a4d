#pragma once
// The scenario the window plays: loaded from a file (or set by a lesson), the digest of that
// file's bytes, and the user's consent to its shell commands, given once per file content.
#include "model/scenario.hpp"

#include <QByteArray>
#include <QObject>
#include <QSet>

#include <optional>

class QWidget;

namespace statelab::gui {

class ScenarioSlot : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

    // On error returns false with the one-line message and keeps what was loaded before.
    bool load(const QString& path, QString* error);
    // A lesson's scenario. The digest is left alone: a lesson never holds a target or commands
    // (the lesson reader refuses them), so it has nothing to consent to.
    void set(const Scenario& scenario) { m_scenario = scenario; }
    const Scenario* loaded() const { return m_scenario ? &*m_scenario : nullptr; }
    const std::optional<Scenario>& scenario() const { return m_scenario; }

    // True if the scenario has no commands or the user let this content's run. Else asks in a
    // box on `parent` and returns false: the box answers with approved() (only if the same
    // content is still loaded) or refused(). Not exec(): the window goes on while the box asks
    // (and a test can answer it).
    bool commandsApproved(QWidget* parent);

    // A run of this scenario was asked for: once the cluster is up, its traffic plays.
    bool runPending() const { return m_runPending; }
    void setRunPending(bool pending) { m_runPending = pending; }

signals:
    void approved();
    void refused();

private:
    std::optional<Scenario> m_scenario;
    QByteArray m_digest;            // SHA-256 of the loaded file's bytes
    QSet<QByteArray> m_approved;    // digests of files whose commands the user let run
    bool m_runPending = false;
};

} // namespace statelab::gui
