"""The catalog admin (事项目录管理).

Every change goes through the services, so it is validated by the rules and audited:

- a draft version is edited on one page with its materials and steps; on submit the page is
  turned into an item spec, checked as a whole with `rules.check_item` (errors are shown on the
  fields and rows they concern) and saved with `item_save_draft` (`versions`);
- published and superseded versions are read-only;
- "publish", "new draft from the published version" and "discard draft" are actions that call
  the services and report failures as messages;
- a bundle is edited the same way and saved with `bundle_save` (`bundles`);
- the catalog workbook is downloaded and uploaded from the service item list (`items`);
- themes are saved by code (`themes`);
- the everyday-wording table of the search is edited in `synonyms`.
- window delegations (窗口授权) are granted and revoked through their services (`delegations`).

`pages` holds what they share. Importing this package registers every model admin.
"""

from onewindow.catalog.admin import bundles, delegations, items, synonyms, themes, versions

__all__ = ["bundles", "delegations", "items", "synonyms", "themes", "versions"]
