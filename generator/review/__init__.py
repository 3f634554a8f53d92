"""The preview's review page: reports whose fields need a curator's eye, corrected in a form
and written back to their entries. Served by `report-archive serve` only, never built."""
