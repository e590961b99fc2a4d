#pragma once
// One sample of a node's /metrics page, read with code of the tests' own (not the engine's
// parser, which the tests check): `statelab_session_misses_total{node="node-1"} 3` -> 3.
#include <QByteArray>
#include <QList>

namespace statelab::test {

// -1 when the page has no such series.
inline long long prometheus_value(const QByteArray& page, const QByteArray& name) {
    for (const QByteArray& line : page.split('\n'))
        if (line.startsWith(name + '{') || line.startsWith(name + ' ')) return line.mid(line.lastIndexOf(' ') + 1).toLongLong();
    return -1;
}

} // namespace statelab::test
