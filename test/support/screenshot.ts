/**
 * Saves a screenshot of the test page, or of one element, to test-results/screenshots/NAME.png
 * through the runner's `save-screenshot` command. For people to look at; it asserts nothing.
 */
import { executeServerCommand } from '@web/test-runner-commands';

export async function saveScreenshot(name: string, selector?: string): Promise<string> {
  return executeServerCommand<string, { name: string; selector?: string }>('save-screenshot', { name, selector });
}
