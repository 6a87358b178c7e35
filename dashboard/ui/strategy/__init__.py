"""The strategy page's tabs (pages/strategy.py lays them out; each module draws a group).

- `editors`: what every tab shares: the page's `Page` (who reads, whether they edit),
  the section table editor with Save and Restore, the save and refusal messages.
- `goals`: Phase 1, where the practice is going: priorities, opportunities and
  challenges, mission and vision, maturity.
- `operating`: Phase 2, how it works: scope, sourcing and structure, RACI, audits,
  documents and communication.
- `delivery`: the roadmap, the findings and the strategy document, the change log.

Every save goes through dashboard.strategy (validated, audited) and writes only what
the user changed: a rerun, or a Save with nothing changed, writes nothing.
"""

from __future__ import annotations
