"""Build hook: the wheel carries the bundled dataset pre-validated
(src/adjuvant_cli/dataset/prebuilt.py says why), made here from
data/monographs.toml by the package's own loader, so it is never committed
and never stale."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class PrebuiltDatasetHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return  # an editable install reads the TOML (the checkout's data/ changes)
        root = Path(self.root)
        sys.path.insert(0, str(root / "src"))
        try:
            from adjuvant_cli.dataset import prebuilt
            from adjuvant_cli.dataset.building import parse_dataset
        finally:
            sys.path.remove(str(root / "src"))
        toml = (root / "data" / "monographs.toml").read_bytes()
        dataset = parse_dataset(toml.decode("utf-8-sig"), "monographs.toml")  # raises if invalid
        self._workdir = Path(tempfile.mkdtemp(prefix="adjuvant-prebuilt-"))
        target = self._workdir / prebuilt.NAME
        target.write_bytes(prebuilt.dump(dataset, toml))
        build_data["force_include"][str(target)] = f"adjuvant_cli/data/{prebuilt.NAME}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        workdir = getattr(self, "_workdir", None)
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)
