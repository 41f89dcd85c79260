"""Keyboard-only driving for browser tests: reach a control with Tab alone (so it is
in the tab order), type into it, press a button with Enter (its focus visible)."""

from playwright.sync_api import expect

MAX_TABS = 80


def focused(locator):
    return locator.evaluate("element => element === document.activeElement")


def tab_to(page, locator, max_tabs=MAX_TABS):
    """Press Tab (only) until `locator` has focus; fails if it is not in the tab order."""
    locator = locator.first
    expect(locator).to_be_attached()
    for _ in range(max_tabs):
        if focused(locator):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{locator} was not reached with {max_tabs} presses of Tab")


def focus_outline(locator):
    """The focused control shows a focus indicator (outline or box-shadow)."""
    return locator.evaluate(
        """element => {
            const style = getComputedStyle(element);
            return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
                || style.boxShadow !== 'none';
        }"""
    )


def type_into(page, locator, text):
    tab_to(page, locator)
    page.keyboard.type(text)


def press_button(page, name, scope=None):
    scope = scope or page.get_by_role("main")
    button = scope.get_by_role("button", name=name, exact=True)
    tab_to(page, button)
    assert focus_outline(button), f"the focused button «{name}» shows no focus indicator"
    with page.expect_navigation():
        page.keyboard.press("Enter")
