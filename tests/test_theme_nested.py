"""benchmarks.theme_nested: how dictionary and learned codes are combined, chosen on other sets."""

from __future__ import annotations

import json

from benchmarks import theme_nested as tn


def _row(s, gold, dictionary, probs):
    return {"set": s, "gold": gold, "dictionary": dictionary, "probs": probs}


def test_system_unions_dictionary_and_learned_and_applies_vetoes():
    row = _row("a", ["x"], ["x", "y"], {"x": 0.9, "y": 0.02, "z": 0.7})
    assert tn.system(row, {}, {}, 0.6) == {"x", "y", "z"}
    assert tn.system(row, {"z": 0.8}, {"y": 0.1}, 0.6) == {"x"}
    # a theme with no classifier (no probability) is never vetoed
    assert tn.system(_row("a", [], ["w"], {}), {}, {"w": 0.5}, 0.6) == {"w"}


def test_per_theme_veto_is_learned_from_the_rows_given():
    # on these rows "y" from the dictionary is wrong whenever the classifier says no
    rows = [_row(str(i), [], ["y"], {"y": 0.02}) for i in range(4)]
    rows += [_row("r", ["y"], ["y"], {"y": 0.9})]
    thr, veto = tn.choose(rows, "veto", 0.6)
    assert veto["y"] > 0.02
    assert tn.counts(rows, thr, veto, 0.6)["fp"] == 0


def test_main_never_scores_a_set_with_settings_chosen_on_it(tmp_path, capsys):
    # set "b" alone would want a low cut for "t"; the other sets want a high one
    rows = [_row(s, [], [], {"t": 0.5}) for s in "ac" for _ in range(5)]
    rows += [_row(s, ["t"], [], {"t": 0.95}) for s in "ac"]
    rows += [_row("b", ["t"], [], {"t": 0.5}) for _ in range(5)]
    path = tmp_path / "rows.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert tn.main([str(path), "--threshold", "0.4", "--modes", "gthr"]) == 0
    out = capsys.readouterr().out
    line = next(ln for ln in out.splitlines() if ln.startswith("b "))
    # base (cut 0.4) codes b's five answers; the cut chosen on a and c (above 0.5) codes none
    assert "base 1.000" in line and "gthr 0.000" in line
