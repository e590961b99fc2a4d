#include "compare/run_record.hpp"

#include "model/run_totals.hpp"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <map>

namespace statelab::gui {

namespace {
bool fail(QString* error, const QString& message) {
    if (error) *error = message;
    return false;
}

bool readSummary(RunRecord& run, const QString& path, QString* error) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return fail(error, QObject::tr("%1: %2").arg(path, file.errorString()));
    QJsonParseError parse;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parse);
    if (!doc.isObject()) return fail(error, QObject::tr("%1: not a summary.json (%2)").arg(path, parse.errorString()));
    run.summary = doc.object();
    run.scenario = run.summary.value(QStringLiteral("scenario")).toString();
    run.mode = run.summary.value(QStringLiteral("mode")).toString();
    for (const QJsonValue& v : run.summary.value(QStringLiteral("events")).toArray()) {
        const QJsonObject e = v.toObject();
        // A word no event is written with (a newer lab's) is no marker here: left out.
        auto event = parse_event(e.value(QStringLiteral("action")).toString().toStdString(),
                                 e.value(QStringLiteral("target")).toString().toStdString());
        if (!event) continue;
        event->t_s = e.value(QStringLiteral("t_s")).toDouble();
        event->detail = e.value(QStringLiteral("detail")).toString().toStdString();
        if (event->kind == EventKind::traffic_start && run.trafficStart_s == 0) run.trafficStart_s = event->t_s;
        run.events.push_back(std::move(*event));
    }
    return true;
}

bool readTimeseries(RunRecord& run, const QString& path, QString* error) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return fail(error, QObject::tr("%1: %2").arg(path, file.errorString()));
    const QByteArray header = file.readLine().trimmed();
    // Columns are only ever appended (moved, duplicates, expired, leaked, stale): runs kept before have fewer
    // fields, and still load, down to the first nine.
    const QByteArray current(timeseries_csv_header);
    const bool earlier = current.startsWith(header + ',') && header.count(',') >= 8;
    if (header != current && !earlier)
        return fail(error, QObject::tr("%1: unexpected header, want %2").arg(path, QLatin1String(timeseries_csv_header)));
    const qsizetype fields = header.count(',') + 1;
    int line = 1;
    while (!file.atEnd()) {
        ++line;
        const QList<QByteArray> f = file.readLine().trimmed().split(',');
        if (f.size() == 1 && f[0].isEmpty()) continue;
        if (f.size() != fields)
            return fail(error, QObject::tr("%1:%2: want %3 fields, found %4").arg(path).arg(line).arg(fields).arg(f.size()));
        if (f[1] != "*") continue;
        RunRecord::Row row;
        double* out[] = {&row.t_s,  &row.requests, &row.errors, &row.hits,  &row.misses,
                         &row.lost, &row.p50_ms,   &row.p99_ms, &row.moved, &row.duplicates, &row.expired, &row.leaked, &row.stale};
        for (int i = 0, field = 0; field < fields; ++i, ++field) {
            if (field == 1) ++field; // the node column
            bool ok = false;
            *out[i] = f[field].toDouble(&ok);
            if (!ok) return fail(error, QObject::tr("%1:%2: field %3 is not a number").arg(path).arg(line).arg(field + 1));
        }
        run.rows.push_back(row);
    }
    if (run.rows.empty()) return fail(error, QObject::tr("%1: no intervals recorded").arg(path));
    if (run.rows.size() > 1) run.interval_s = std::max(0.001, run.rows[1].t_s - run.rows[0].t_s);
    return true;
}
} // namespace

std::optional<RunRecord> loadRun(const QString& dir, QString* error) {
    RunRecord run;
    run.dir = QDir(dir).absolutePath();
    if (!QFileInfo(dir).isDir()) {
        fail(error, QObject::tr("%1: no such run folder").arg(dir));
        return std::nullopt;
    }
    if (!readSummary(run, QDir(dir).filePath(QStringLiteral("summary.json")), error) ||
        !readTimeseries(run, QDir(dir).filePath(QStringLiteral("timeseries.csv")), error))
        return std::nullopt;
    // One clock for every run: zero is the moment its traffic started (the timeline's clock).
    for (RunRecord::Row& row : run.rows) row.t_s -= run.trafficStart_s;
    for (Event& event : run.events) event.t_s -= run.trafficStart_s;
    run.label = run.scenario.isEmpty() ? QFileInfo(run.dir).fileName() : run.scenario;
    return run;
}

QString whenKept(const QString& dir) {
    // The lab and statelab-cli name a run's folder YYYYMMDD-HHMMSS-<scenario>.
    const QString name = QFileInfo(dir).fileName();
    const QDateTime when = QDateTime::fromString(name.left(15), QStringLiteral("yyyyMMdd-HHmmss"));
    return when.isValid() ? when.toString(QStringLiteral("d MMM HH:mm:ss")) : name;
}

QString timeKept(const QString& dir) { return whenKept(dir).section(QLatin1Char(' '), -1); }

void makeLabelsUnique(std::vector<RunRecord>& runs) {
    // Two runs of one scenario are told apart by when they ran, short enough to fit a legend;
    // the folder's whole name only where even that is the same.
    std::map<QString, int> seen;
    for (const RunRecord& run : runs) ++seen[run.label];
    std::map<QString, int> seenWithTime;
    for (RunRecord& run : runs)
        if (seen[run.label] > 1) ++seenWithTime[run.label += QStringLiteral(" · %1").arg(timeKept(run.dir))];
    for (RunRecord& run : runs)
        if (seenWithTime.count(run.label) && seenWithTime[run.label] > 1) run.label += QStringLiteral(" (%1)").arg(QFileInfo(run.dir).fileName());
}

QStringList distinctParts(const QStringList& labels) {
    if (labels.size() < 2) return QStringList(labels.size(), QString());
    qsizetype common = labels.front().size();
    for (const QString& label : labels) {
        qsizetype i = 0;
        while (i < common && i < label.size() && label[i] == labels.front()[i]) ++i;
        common = i;
    }
    // Cut after the last separator within the shared start, so no word is split.
    qsizetype cut = 0;
    for (const QString& separator : {QStringLiteral(" · "), QStringLiteral(": "), QStringLiteral(" (")}) {
        const qsizetype at = labels.front().left(common).lastIndexOf(separator);
        if (at >= 0) cut = std::max(cut, at + separator.size());
    }
    QStringList parts;
    for (const QString& label : labels) parts << (cut > 0 && cut < label.size() ? label.mid(cut) : QString());
    return parts;
}

} // namespace statelab::gui
