"""An import-linter contract for Outreach's layers: routes → services/queries → models.

Import-linter's own `layers` contract checks layers inside one package at a time; this one checks
them across the whole application, because a feature's services must not reach into another
feature's routes either. A module's layer is read from its name:

- web: `routes`, `routes_*` and the names listed in `web` (e.g. `views`): they answer requests;
- models: `models` (and the `outreach.models` package): tables and their relationships;
- everything else is logic: services, queries, forms, exports, rules, shared helpers.

The rules (direct imports; the modules in `wiring`, which register every blueprint, are exempt):

1. logic and models import no web module;
2. models import no logic module of a feature (shared top-level modules such as `outreach.vocab`
   are fine);
3. no feature imports another feature's routes (`routes`, `routes_*`).
"""

from __future__ import annotations

import grimp
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck

WEB, LOGIC, MODELS = "web", "logic", "models"


class FeatureLayersContract(Contract):
    type_name = "feature_layers"

    root = fields.StringField()
    web = fields.ListField(subfield=fields.StringField(), required=False)
    wiring = fields.ListField(subfield=fields.StringField(), required=False)

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        root = str(self.root)
        wiring = {str(m) for m in (self.wiring or [])}
        broken = []
        for importer in sorted(graph.modules):
            if importer in wiring or not importer.startswith(root + "."):
                continue
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                if not imported.startswith(root + "."):
                    continue
                why = self.refusal(importer, imported, graph)
                if why:
                    details = graph.get_import_details(importer=importer, imported=imported)
                    line = details[0]["line_number"] if details else "?"
                    broken.append(
                        {"importer": importer, "imported": imported, "line": line, "why": why}
                    )
        return ContractCheck(kept=not broken, metadata={"broken": broken})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for item in check.metadata["broken"]:
            where = f"{item['importer']} (line {item['line']})"
            output.print_error(f"{where} imports {item['imported']}: {item['why']}")
            output.new_line()

    # --- what a module is ---------------------------------------------------------------------

    def feature(self, module: str, graph: grimp.ImportGraph) -> str | None:
        """The feature package a module belongs to (None for a shared top-level module)."""
        parts = module.split(".")
        if len(parts) < 2:
            return None
        top = ".".join(parts[:2])
        return top if graph.find_children(top) or len(parts) > 2 else None

    def is_routes(self, module: str) -> bool:
        last = module.rsplit(".", 1)[-1]
        return last == "routes" or last.startswith("routes_")

    def layer(self, module: str) -> str:
        last = module.rsplit(".", 1)[-1]
        web = {str(w) for w in (self.web or [])}
        if self.is_routes(module) or last in web or module in web:
            return WEB
        if last == "models" or module.startswith(f"{self.root}.models"):
            return MODELS
        return LOGIC

    def refusal(self, importer: str, imported: str, graph: grimp.ImportGraph) -> str | None:
        upper, lower = self.layer(importer), self.layer(imported)
        home, other = self.feature(importer, graph), self.feature(imported, graph)
        if importer == home and other == home:  # a feature's __init__ registers its own routes
            return None
        if lower == WEB and upper != WEB:
            return f"a {upper} module may not import a web module (routes → services → models)"
        if upper == MODELS and lower == LOGIC and other is not None:
            return "a models module may not import a feature's logic (models are the lowest layer)"
        if self.is_routes(imported) and home != other:
            return "no feature imports another feature's routes"
        return None
