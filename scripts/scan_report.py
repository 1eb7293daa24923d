"""scripts/scan's summary: WORK SECONDS REPORT ROLE… -> docs/security-scan.md, the wapiti and
sqlmap findings by severity and role; exits 1 when any is high or medium."""

from __future__ import annotations

import json
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

LEVELS = {4: "high", 3: "high", 2: "medium", 1: "low", 0: "info"}  # wapiti's critical is high
SERVER_ERROR = re.compile(r'" 500 ')  # the development server's log line of a 500 answer
SQLMAP_HIT = re.compile(r"(is vulnerable|appears to be .*injectable|might be injectable)", re.I)


def wapiti(path: Path) -> tuple[dict[str, int], list[str], int]:
    """Findings by level, the non-info ones described, and the pages crawled."""
    counts = dict.fromkeys(("high", "medium", "low", "info"), 0)
    notes: list[str] = []
    if not path.exists():
        return counts, [f"wapiti wrote no report ({path.name})"], 0
    data = json.loads(path.read_text())
    for section in ("vulnerabilities", "anomalies", "additionals"):
        for category, items in (data.get(section) or {}).items():
            for item in items:
                level = LEVELS.get(item.get("level", 0), "info")
                if section == "anomalies" and item.get("info", "").startswith("500"):
                    level = "medium"  # an internal error is a finding here
                counts[level] += 1
                where = f"{item.get('method', '')} {item.get('path', '')}".strip()
                if level != "info":
                    notes.append(f"{level}: {category}: {where}: {item.get('info', '')[:160]}")
    return counts, notes, (data.get("infos") or {}).get("crawled_pages_nbr", 0)


def sqlmap(path: Path) -> tuple[int, list[str]]:
    if not path.exists():
        return 0, [f"sqlmap wrote no log ({path.name})"]
    hits = [line.strip() for line in path.read_text().splitlines() if SQLMAP_HIT.search(line)]
    hits = [h for h in hits if "not injectable" not in h and "does not seem" not in h]
    return len(hits), hits


def main() -> int:
    work, seconds, report = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    roles = sys.argv[4:]
    rows, details, total = [], [], dict.fromkeys(("high", "medium", "low", "info"), 0)
    for role in roles:
        counts, notes, pages = wapiti(work / f"wapiti-{role}.json")
        injectable, hits = sqlmap(work / f"sqlmap-{role}.log")
        counts["high"] += injectable
        rows.append(
            f"| {role} | {pages} | {counts['high']} | {counts['medium']} | {counts['low']} | "
            f"{counts['info']} |"
        )
        details += [f"- {role}: {n}" for n in notes + [f"high: sqlmap: {h}" for h in hits]]
        for k in total:
            total[k] += counts[k]
    failed = work / "login-failed"
    for role in failed.read_text().split() if failed.exists() else []:
        details.append(f"- {role}: could not log in, not scanned")
    log = (work / "server.log").read_text().splitlines()
    errors = [line for line in log if SERVER_ERROR.search(line)]
    total["medium"] += len(errors)
    details += [f"- medium: the server answered 500: {line.strip()[:200]}" for line in errors]
    api_hits, hits = sqlmap(work / "sqlmap-api.log")
    total["high"] += api_hits
    rows.append(f"| API (a peer's token) | | {api_hits} | 0 | 0 | 0 |")
    details += [f"- API: high: sqlmap: {h}" for h in hits]
    rows.append(
        f"| **total** | | {total['high']} | {total['medium']} | {total['low']} | {total['info']} |"
    )
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    report.write_text(
        "\n".join(
            [
                "# Security scan",
                "",
                f"Last run: {when}, by `scripts/scan` (wapiti and sqlmap against a loopback "
                "instance with the demo data and production settings, logged in as each demo "
                f"role; wapiti {seconds} s and sqlmap {int(seconds) // 2} s at most per role). "
                "Findings by severity (wapiti's levels, its critical counted as high, a 500 "
                "as medium; a parameter sqlmap finds injectable counts as high; the low ones "
                "are listed below, the info ones only counted). Every 500 in the server's log "
                f"counts as medium ({len(errors)} in this run).",
                "",
                "| Logged in as | Pages crawled | High | Medium | Low | Info |",
                "|---|---|---|---|---|---|",
                *rows,
                "",
                "## Findings",
                "",
                *(details or ["None."]),
                "",
            ]
        )
    )
    return 1 if total["high"] or total["medium"] else 0


if __name__ == "__main__":
    sys.exit(main())
