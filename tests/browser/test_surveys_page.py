"""满意度调查 in a real browser (docs/resident-services.md §7, §11): HQ quality makes a questionnaire
of a rating, a single choice with scored options and a written question; a project manager, who
may not edit questionnaires, runs a campaign over every occupied flat of the project; a CS agent
enters one flat's answers taken on a visit and sees the next flat ready; the results show the
answer — score, response rate, by building, by dimension, by question — and export as Excel.
Lastly the manager closes the campaign and cancels another with a reason."""

from __future__ import annotations

import io
import re

import openpyxl
from playwright.async_api import Page, expect

from tests.browser.conftest import choose, shot, sign_in, sign_out
from tests.conftest import PASSWORD, add_user
from tests.integration.survey_setup import populate


async def _pick(page: Page, select_test_id: str, option: str) -> None:
    await choose(page, page.get_by_test_id(select_test_id), option)


async def test_hq_questionnaire_a_campaign_one_answer_and_its_results(page, org, owner_engine):
    await add_user(owner_engine, org, "hq", "hq_quality", None)
    await add_user(owner_engine, org, "pm", "project_manager", "P1")
    await add_user(owner_engine, org, "agent", "cs_agent", "P1")
    await populate(owner_engine, org, "P1", {"1号楼": 3, "2号楼": 2}, empty=1)

    # HQ: the questionnaire, three questions.
    await sign_in(page, org.slug, "hq", PASSWORD)
    await page.get_by_role("menuitem", name=re.compile("满意度调查")).click()
    await page.get_by_test_id("survey-q-new").click()
    await page.get_by_test_id("survey-q-title").fill("2026 年度业主满意度")
    await page.get_by_test_id("survey-q-intro").fill("感谢您抽空参与。")
    first = page.get_by_test_id("survey-q-question-1")
    await first.get_by_test_id("survey-q-text").fill("您对物业服务总体是否满意？")
    await first.get_by_test_id("survey-q-weight").fill("40")
    await page.get_by_test_id("survey-q-add").click()
    second = page.get_by_test_id("survey-q-question-2")
    await second.get_by_test_id("survey-q-kind").click()
    await page.locator(".ant-select-dropdown:visible .ant-select-item-option", has_text="单选").click()
    await second.get_by_test_id("survey-q-text").fill("公共区域保洁是否及时？")
    await second.get_by_test_id("survey-q-dimension").click()
    await page.locator(".ant-select-dropdown:visible .ant-select-item-option", has_text="保洁").click()
    await second.get_by_test_id("survey-q-weight").fill("20")
    labels = second.get_by_test_id("survey-q-option-label")
    await labels.nth(0).fill("及时")
    await labels.nth(1).fill("不及时")
    await page.get_by_test_id("survey-q-add").click()
    third = page.get_by_test_id("survey-q-question-3")
    await third.get_by_test_id("survey-q-kind").click()
    await page.locator(".ant-select-dropdown:visible .ant-select-item-option", has_text="文字").click()
    await third.get_by_text("必答").click()  # optional
    await third.get_by_test_id("survey-q-text").fill("其他意见和建议")
    await expect(third.get_by_test_id("survey-q-weight")).to_be_disabled()  # words are never scored
    await shot(page, "surveys-questionnaire-form")
    await page.get_by_test_id("survey-q-save").click()
    listed = page.locator("[data-questionnaire='2026 年度业主满意度']")
    await expect(listed.get_by_test_id("survey-q-state")).to_have_text("启用")
    detail = page.get_by_test_id("survey-q-detail")
    await expect(detail.get_by_test_id("survey-q-questions").locator("tbody tr")).to_have_count(3)
    await expect(detail).to_contain_text("及时 100分 · 不及时 0分")
    await expect(detail).to_contain_text("（选答）")
    await shot(page, "surveys-questionnaires")
    await sign_out(page)

    # The project manager: no questionnaire editing; a campaign over every occupied flat, opened.
    await sign_in(page, org.slug, "pm", PASSWORD)
    await page.goto("/surveys")
    await expect(page.get_by_role("tab", name=re.compile("调查活动"))).to_have_attribute("aria-selected", "true")
    await page.get_by_role("tab", name=re.compile("问卷")).click()
    await expect(page.locator("[data-questionnaire='2026 年度业主满意度']")).to_be_visible()
    await expect(page.get_by_test_id("survey-q-new")).to_have_count(0)
    await expect(page.get_by_test_id("survey-q-toggle")).to_have_count(0)
    await page.get_by_role("tab", name=re.compile("调查活动")).click()
    for title, mode in (("四季度满意度调查", "全部住户"), ("补充调查", "按比例")):
        await page.get_by_test_id("survey-c-new").click()
        await _pick(page, "survey-c-questionnaire", "2026 年度业主满意度")
        await page.get_by_test_id("survey-c-title").fill(title)
        await _pick(page, "survey-c-mode", mode)
        if title == "补充调查":
            await shot(page, "surveys-campaign-form")
        await page.get_by_test_id("survey-c-save").click()
        await expect(page.locator(f"[data-campaign='{title}']").get_by_test_id("survey-c-state")).to_have_text("草稿")
    campaign = page.locator("[data-campaign='四季度满意度调查']")
    await campaign.get_by_test_id("survey-c-open").click()
    await expect(campaign.get_by_test_id("survey-c-state")).to_have_text("进行中")
    await expect(campaign.get_by_test_id("survey-c-progress")).to_contain_text("0/5")  # the empty flats are never sampled
    await shot(page, "surveys-campaigns")
    await sign_out(page)

    # The agent enters one flat's answers, taken on a visit.
    await sign_in(page, org.slug, "agent", PASSWORD)
    await page.goto("/surveys")
    campaign = page.locator("[data-campaign='四季度满意度调查']")
    await expect(campaign.get_by_test_id("survey-c-open")).to_have_count(0)  # the agent does not run campaigns
    await expect(page.get_by_test_id("survey-c-new")).to_have_count(0)
    await campaign.get_by_test_id("survey-c-enter").click()
    flats = page.get_by_test_id("survey-e-flats").locator("tbody tr.ant-table-row")
    await expect(flats).to_have_count(5)
    await expect(page.get_by_test_id("survey-e-flat")).to_have_text("1号楼 101")
    await page.get_by_test_id("survey-e-channel").get_by_text("上门").click()
    await page.get_by_test_id("survey-e-submit").click()  # nothing answered: the required questions say so
    await expect(page.get_by_test_id("survey-answer-1")).to_contain_text("必答题")
    await page.get_by_test_id("survey-answer-1").get_by_text("4 满意").click()
    await page.get_by_test_id("survey-answer-2").get_by_text("及时", exact=True).click()
    await page.get_by_test_id("survey-answer-3").locator("textarea").fill("电梯常坏")
    await shot(page, "surveys-entry")
    await page.get_by_test_id("survey-e-submit").click()
    await expect(page.get_by_test_id("survey-e-done")).to_contain_text("1号楼 101")
    await expect(flats).to_have_count(4)
    await expect(page.get_by_test_id("survey-e-flat")).to_have_text("1号楼 102")  # the next flat, ready
    await page.get_by_test_id("survey-e-show-all").click()
    await expect(flats.filter(has_text="1号楼 101")).to_contain_text("已答 · 上门")
    await shot(page, "surveys-entered")

    # The results show it: (40×75 + 20×100) / 60 = 83.33.
    await page.get_by_role("tab", name=re.compile("结果")).click()
    await expect(page.get_by_test_id("survey-r-score")).to_contain_text("83.33")
    await expect(page.get_by_test_id("survey-r-rate")).to_contain_text("20.0%")
    await expect(page.get_by_test_id("survey-r-responses")).to_contain_text("1/5")
    buildings = page.get_by_test_id("survey-r-buildings").locator("tbody tr.ant-table-row")
    await expect(buildings.filter(has_text="1号楼")).to_contain_text("33.3%")
    await expect(buildings.filter(has_text="2号楼")).to_contain_text("0.0%")
    dimensions = page.get_by_test_id("survey-r-dimensions").locator("tbody tr.ant-table-row")
    await expect(dimensions.filter(has_text="总体")).to_contain_text("75.00")
    await expect(dimensions.filter(has_text="保洁")).to_contain_text("100.00")
    await expect(page.get_by_test_id("survey-r-question-1").get_by_test_id("survey-r-mean")).to_contain_text("4.00")
    options = page.get_by_test_id("survey-r-question-2").get_by_test_id("survey-r-option")
    await expect(options.filter(has_text="不及时")).to_contain_text("0 人 · 0.0%")
    await expect(options.filter(has_text=re.compile("^及时"))).to_contain_text("1 人 · 100.0%")
    await expect(page.get_by_test_id("survey-r-question-3").get_by_test_id("survey-r-texts")).to_contain_text("电梯常坏")
    await shot(page, "surveys-results")
    async with page.expect_download() as download:
        await page.get_by_test_id("survey-r-export").click()
    saved = await (await download.value).path()
    book = openpyxl.load_workbook(io.BytesIO(saved.read_bytes()))
    assert "电梯常坏" in [c for row in book.worksheets[-1].iter_rows(values_only=True) for c in row]
    await sign_out(page)

    # The manager closes the campaign (its score stored) and cancels the other with a reason.
    await sign_in(page, org.slug, "pm", PASSWORD)
    await page.goto("/surveys")
    campaign = page.locator("[data-campaign='四季度满意度调查']")
    await campaign.get_by_test_id("survey-c-close").click()
    await expect(campaign.get_by_test_id("survey-c-state")).to_have_text("已结束")
    await expect(campaign).to_contain_text("83.33")
    other = page.locator("[data-campaign='补充调查']")
    await other.get_by_test_id("survey-c-cancel").click()
    await expect(page.get_by_test_id("survey-c-cancel-confirm")).to_be_disabled()  # a reason first
    await page.get_by_test_id("survey-c-cancel-reason").fill("与年度调查重复")
    await page.get_by_test_id("survey-c-cancel-confirm").click()
    await expect(other.get_by_test_id("survey-c-state")).to_have_text("已取消")
    await expect(other).to_contain_text("与年度调查重复")
    await page.get_by_role("tab", name=re.compile("问卷")).click()
    await expect(page.locator("[data-questionnaire='2026 年度业主满意度']").get_by_test_id("survey-q-used")).to_have_text("已使用")
    await shot(page, "surveys-closed")
    # In English the results read English first, Chinese beside; the closed score is the stored one.
    await page.get_by_role("button", name="EN", exact=True).click()
    await page.get_by_role("tab", name=re.compile("Results")).click()
    await expect(page.get_by_test_id("survey-r-score")).to_contain_text("Score")
    await expect(page.get_by_test_id("survey-r-score")).to_contain_text("83.33")
    await expect(page.get_by_test_id("survey-r-buildings")).to_contain_text("Response")
    await page.wait_for_timeout(500)  # the tab's switch animation
    await shot(page, "surveys-results-en")
