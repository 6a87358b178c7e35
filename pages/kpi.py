from dashboard import ui

ui.require("kpi")
ui.page_header("kpi")
