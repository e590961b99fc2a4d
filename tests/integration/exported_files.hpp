#pragma once
// Helpers for tst_config_export: an exported cluster in a temporary directory, its files pointed
// at loopback (what a user without compose does by hand: the addresses and directories change,
// nothing else), and one-shot runs of other programs (haproxy -c, redis-cli, python3).
#include "cluster/config_export.hpp"
#include "lab_files.hpp"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QList>
#include <QPair>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace statelab::test {

// export_cluster_config into a fresh temporary directory (removed with the object).
struct ExportedCluster {
    QTemporaryDir dir;
    QString error; // the export's exception, if any

    explicit ExportedCluster(const ClusterSettings& settings) {
        try {
            export_cluster_config(settings, dir.path().toStdString(), "export test");
        } catch (const std::exception& e) {
            error = QString::fromUtf8(e.what());
        }
    }
    QString path(const QString& file) const { return dir.filePath(file); }
    QByteArray text(const QString& file) const {
        QFile in(path(file));
        return in.open(QIODevice::ReadOnly) ? in.readAll() : QByteArray();
    }
};

using Substitutions = QList<QPair<QByteArray, QByteArray>>;

// `text` with every `from` replaced by its `to`. A `from` the text lacks is named in `missing`:
// the test must not run an unchanged file believing it changed it.
inline QByteArray substituted(QByteArray text, const Substitutions& substitutions,
                              QString& missing) {
    for (const auto& [from, to] : substitutions) {
        if (!text.contains(from)) missing += QString::fromUtf8(from) + QStringLiteral("; ");
        text.replace(from, to);
    }
    return text;
}

inline bool write_file(const QString& path, const QByteArray& text) {
    QFile out(path);
    return out.open(QIODevice::WriteOnly | QIODevice::Truncate) && out.write(text) == text.size();
}

// The value of `directive` in a config file ("requirepass X" -> "X"), or empty.
inline QByteArray directive_value(const QByteArray& text, const QByteArray& directive) {
    for (const QByteArray& line : text.split('\n'))
        if (line.startsWith(directive + ' ')) return line.mid(directive.size() + 1).trimmed();
    return {};
}

struct ToolRun {
    int code = -1; // -1: did not start or did not finish
    QByteArray out, err;
};

// Runs a program to the end (bounded), for tools that answer and exit.
inline ToolRun run_tool(const QString& program, const QStringList& args, int timeout_ms = 10'000) {
    QProcess process;
    process.start(program, args);
    ToolRun run;
    if (!process.waitForStarted(timeout_ms) || !process.waitForFinished(timeout_ms)) {
        process.kill();
        process.waitForFinished(5000);
        run.err = "did not finish: " + program.toUtf8();
        return run;
    }
    run.code = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

} // namespace statelab::test
