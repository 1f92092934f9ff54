"""The web face of yuanwen (`yuanwen serve`): pages for editors and an HTTP API, over the same check as the CLI.

It calls only the front doors (check, read_bytes, the renderers, fix.corrected, the library);
`app` builds the application, `pool` runs checks in worker processes, `records` keeps 核对记录.
"""
