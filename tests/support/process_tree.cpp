#include "support/process_tree.hpp"

#include <QDeadlineTimer>
#include <QDir>
#include <QFileInfo>
#include <QThread>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <signal.h>
#include <string>
#include <vector>

namespace statelab::test {

namespace {
struct ProcInfo {
    int ppid = 0;
    char state = '?';
};

// /proc/PID/stat: "pid (comm) state ppid ..." (comm may hold spaces and parentheses).
std::optional<ProcInfo> proc_info(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto close = text.rfind(')');
    if (close == std::string::npos || close + 4 >= text.size()) return std::nullopt;
    ProcInfo info;
    info.state = text[close + 2];
    info.ppid = std::atoi(text.c_str() + close + 4);
    return info;
}
} // namespace

std::set<int> descendants(int root) {
    std::vector<std::pair<int, int>> all; // pid, ppid
    for (const QString& entry : QDir("/proc").entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        bool numeric = false;
        const int pid = entry.toInt(&numeric);
        if (!numeric) continue;
        if (auto info = proc_info(pid); info && info->state != 'Z') all.emplace_back(pid, info->ppid);
    }
    std::set<int> out, frontier{root};
    while (!frontier.empty()) {
        std::set<int> next;
        for (const auto& [pid, ppid] : all)
            if (frontier.contains(ppid) && !out.contains(pid)) next.insert(pid);
        out.insert(next.begin(), next.end());
        frontier = std::move(next);
    }
    return out;
}

std::set<int> launched_programs(int root) {
    const auto program = [](int pid) {
        return QFileInfo(QStringLiteral("/proc/%1/exe").arg(pid)).symLinkTarget();
    };
    const QString own = program(root);
    std::set<int> out;
    for (int pid : descendants(root))
        if (const QString exe = program(pid); !exe.isEmpty() && exe != own) out.insert(pid);
    return out;
}

bool process_gone(int pid) {
    if (::kill(pid, 0) == -1 && errno == ESRCH) return true;
    const auto info = proc_info(pid);
    return !info || info->state == 'Z';
}

int first_survivor(const std::set<int>& pids, int timeout_ms) {
    QDeadlineTimer deadline(timeout_ms);
    for (int pid : pids) {
        while (!process_gone(pid) && !deadline.hasExpired()) QThread::msleep(20);
        if (!process_gone(pid)) return pid;
    }
    return 0;
}

} // namespace statelab::test
