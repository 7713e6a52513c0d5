// A plain resident-proposing deferred acceptance (Gale–Shapley, McVitie–Wilson order) in C++,
// the peer PeerMatch's stable matching is timed beside (issue 14). It reads the uOttawa CSI2120
// files PeerMatch reads (`residents.csv`: id,firstname,lastname,rol; `programs.csv`:
// id,name,numberOfPos,rol; lists written "[a,b,c]"), keeps a pair only when each side lists the
// other, and writes `resident_id,program_id` in the residents' order (an empty program: unmatched),
// the shape of the published reference files.
//
//     g++ -O2 -std=c++17 -o stable_peer Benchmarks/stable_peer.cpp
//     ./stable_peer residents.csv programs.csv out.csv
//
// Built by Benchmarks/speed_peers.py (g++ or clang++); never part of PeerMatch.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

struct Row { std::vector<std::string> cells; };

// RFC 4180 fields: quoted fields may hold commas (the lists do).
std::vector<Row> readCSV(const char* path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) { std::fprintf(stderr, "cannot read %s\n", path); std::exit(1); }
    std::stringstream buffer; buffer << in.rdbuf();
    const std::string text = buffer.str();
    std::vector<Row> rows;
    Row row; std::string field; bool quoted = false;
    for (size_t k = 0; k < text.size(); ++k) {
        char c = text[k];
        if (quoted) {
            if (c == '"') {
                if (k + 1 < text.size() && text[k + 1] == '"') { field += '"'; ++k; } else quoted = false;
            } else field += c;
        } else if (c == '"') quoted = true;
        else if (c == ',') { row.cells.push_back(field); field.clear(); }
        else if (c == '\n' || c == '\r') {
            if (c == '\r' && k + 1 < text.size() && text[k + 1] == '\n') ++k;
            row.cells.push_back(field); field.clear();
            rows.push_back(std::move(row)); row = Row();
        } else field += c;
    }
    if (!field.empty() || !row.cells.empty()) { row.cells.push_back(field); rows.push_back(std::move(row)); }
    return rows;
}

std::vector<std::string> list(const std::string& cell) {
    std::vector<std::string> out; std::string item;
    for (char c : cell) {
        if (c == '[' || c == ']' || c == ' ') continue;
        if (c == ',') { if (!item.empty()) out.push_back(item); item.clear(); } else item += c;
    }
    if (!item.empty()) out.push_back(item);
    return out;
}

size_t column(const Row& header, const char* name, const char* file) {
    for (size_t c = 0; c < header.cells.size(); ++c) if (header.cells[c] == name) return c;
    std::fprintf(stderr, "%s: no %s column\n", file, name); std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 4) { std::fprintf(stderr, "usage: stable_peer residents.csv programs.csv out.csv\n"); return 2; }
    auto residents = readCSV(argv[1]), programs = readCSV(argv[2]);
    size_t rid = column(residents[0], "id", argv[1]), rrol = column(residents[0], "rol", argv[1]);
    size_t pid = column(programs[0], "id", argv[2]), pcap = column(programs[0], "numberOfPos", argv[2]),
           prol = column(programs[0], "rol", argv[2]);
    size_t n = residents.size() - 1, m = programs.size() - 1;
    std::unordered_map<std::string, int> residentIndex, programIndex;
    std::vector<std::string> residentIDs(n), programIDs(m);
    for (size_t r = 0; r < n; ++r) { residentIDs[r] = residents[r + 1].cells[rid]; residentIndex[residentIDs[r]] = int(r); }
    for (size_t p = 0; p < m; ++p) { programIDs[p] = programs[p + 1].cells[pid]; programIndex[programIDs[p]] = int(p); }
    // rank[p][r]: position of r in p's list (INT32_MAX: not listed).
    std::vector<std::vector<int>> rank(m, std::vector<int>(n, INT32_MAX));
    std::vector<int> capacity(m);
    for (size_t p = 0; p < m; ++p) {
        capacity[p] = std::atoi(programs[p + 1].cells[pcap].c_str());
        int k = 0;
        for (auto& id : list(programs[p + 1].cells[prol])) {
            auto it = residentIndex.find(id);
            if (it != residentIndex.end()) rank[p][it->second] = k++;
        }
    }
    std::vector<std::vector<int>> prefs(n);
    for (size_t r = 0; r < n; ++r) {
        for (auto& id : list(residents[r + 1].cells[rrol])) {
            auto it = programIndex.find(id);
            if (it != programIndex.end() && rank[it->second][r] != INT32_MAX) prefs[r].push_back(it->second);
        }
    }
    // Deferred acceptance: each program keeps its held residents in a max-heap by rank (worst on top).
    std::vector<std::vector<int>> held(m);
    std::vector<size_t> next(n, 0);
    std::vector<int> match(n, -1);
    std::vector<int> free; free.reserve(n);
    for (int r = int(n) - 1; r >= 0; --r) free.push_back(r);
    while (!free.empty()) {
        int r = free.back(); free.pop_back();
        while (next[r] < prefs[r].size()) {
            int p = prefs[r][next[r]++];
            auto worse = [&](int a, int b) { return rank[p][a] < rank[p][b]; };
            if (int(held[p].size()) < capacity[p]) {
                held[p].push_back(r); std::push_heap(held[p].begin(), held[p].end(), worse);
                match[r] = p; break;
            }
            if (capacity[p] > 0 && rank[p][r] < rank[p][held[p].front()]) {
                int out = held[p].front();
                std::pop_heap(held[p].begin(), held[p].end(), worse); held[p].back() = r;
                std::push_heap(held[p].begin(), held[p].end(), worse);
                match[r] = p; match[out] = -1; free.push_back(out); break;
            }
        }
    }
    std::FILE* out = std::fopen(argv[3], "w");
    if (!out) { std::fprintf(stderr, "cannot write %s\n", argv[3]); return 1; }
    std::fprintf(out, "resident_id,program_id\n");
    for (size_t r = 0; r < n; ++r) std::fprintf(out, "%s,%s\n", residentIDs[r].c_str(), match[r] < 0 ? "" : programIDs[match[r]].c_str());
    std::fclose(out);
    return 0;
}
