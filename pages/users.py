from dashboard import ui

ui.require("users")
ui.page_header("users")
