"""Helpers for the browser quality gate (tests/test_gate_*.py, issue 9).

site.py     which pages and templates the built site has
server.py   a static server that compresses like a production host does
axe.py      runs axe-core (from node_modules/, never the network) in a page
results.py  records what each gate test measured, for `python -m scripts accessibility-results`
"""
