import type { Page } from 'playwright-core'

/** Formal votes as a member takes part in them, through the Votes tab. */
export const showVotes = (page: Page) => page.getByRole('tab', { name: /Votes/ }).click()

export const voteCard = (page: Page, text: string) => page.locator('.pk-vote', { has: page.locator('h3', { hasText: text }) })

export const castBallot = async (page: Page, text: string, choice: 'Yes' | 'No' | 'Abstain' | 'Block') => {
  await showVotes(page)
  const card = voteCard(page, text)
  await card.getByRole('group', { name: 'Your ballot' }).getByRole('button', { name: choice, exact: true }).click()
  await card.locator(`button[aria-pressed="true"]`, { hasText: choice }).waitFor()
}

/** The tally a card shows, as the member reads it. */
export const tallyText = (page: Page, text: string) => voteCard(page, text).locator('.pk-vote-tally').innerText()
