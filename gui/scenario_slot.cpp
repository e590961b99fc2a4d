#include "scenario_slot.hpp"

#include "lab_files.hpp"

#include <QCryptographicHash>
#include <QFile>
#include <QMessageBox>
#include <QPushButton>

namespace statelab::gui {

bool ScenarioSlot::load(const QString& path, QString* error) {
    ScenarioResult result = load_scenario_file(path.toStdString());
    if (!result) {
        if (error) *error = QString::fromStdString(result.error);
        return false;
    }
    m_scenario = *result.scenario;
    QFile bytes(path);
    m_digest = QCryptographicHash::hash(bytes.open(QIODevice::ReadOnly) ? bytes.readAll()
                                                                         : QByteArray::fromStdString(scenario_to_json(*m_scenario)),
                                        QCryptographicHash::Sha256);
    return true;
}

bool ScenarioSlot::commandsApproved(QWidget* parent) {
    const auto commands = m_scenario->target ? target_commands(*m_scenario->target) : std::vector<TargetCommand>{};
    if (commands.empty() || m_approved.contains(m_digest)) return true;
    QStringList lines;
    for (const TargetCommand& c : commands)
        lines << QStringLiteral("%1 %2:  %3").arg(QString::fromLatin1(action_name(c.verb)), QString::fromStdString(c.target),
                                                 QString::fromStdString(c.command));
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Run this scenario's commands?"),
                                tr("“%1” runs these shell commands on this machine when its timeline or a tile's button "
                                   "asks for them:").arg(QString::fromStdString(m_scenario->name)),
                                QMessageBox::NoButton, parent);
    box->setObjectName(QStringLiteral("commandConsent"));
    box->setInformativeText(lines.join(QLatin1Char('\n')));
    box->setDetailedText(lines.join(QLatin1Char('\n')));
    QPushButton* run = box->addButton(tr("Run"), QMessageBox::AcceptRole);
    box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    const QByteArray digest = m_digest;
    connect(box, &QMessageBox::finished, this, [this, box, run, digest] {
        if (box->clickedButton() != run) {
            emit refused();
            return;
        }
        m_approved.insert(digest); // this content, not this name: an edited file asks again
        if (m_digest == digest) emit approved();
    });
    box->open();
    return false;
}

} // namespace statelab::gui
