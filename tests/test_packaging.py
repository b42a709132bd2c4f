"""trackwire installs under one import root: it cannot shadow another package, nor be shadowed."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys


def test_the_distribution_has_one_top_level_name():
    top = importlib.metadata.distribution("trackwire").read_text("top_level.txt")
    assert top.split() == ["trackwire"]


def test_folders_named_like_its_parts_in_the_working_directory_shadow_nothing(tmp_path):
    for name in ("nlp", "store", "crawler"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text("raise ImportError('the wrong package')\n")
    (tmp_path / "scheduler.py").write_text("raise ImportError('the wrong module')\n")
    code = ("import trackwire.nlp.marks, trackwire.store.models, trackwire.crawler.extract, trackwire.scheduler\n"
            "print(trackwire.nlp.marks.parse_mark('3:29.05'))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "(209.05, 's')"
