"""What detlint knows about libraries, as plain data: API names, their seed and shuffle parameters,
model families, formats. No analysis code lives here.

One module per subject. Rules, the pre-filter predicates (``needs=``) and the runtime probe all read
these tables, so an API is described once. ``tests/test_knowledge.py`` checks that every table has a
reader and that tables describing the same API agree.
"""
