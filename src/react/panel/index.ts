import { PanelBody, PanelDescription, PanelHeader, PanelMessage, PanelRoot, PanelTitle } from './Panel'

export {
  PanelBody,
  PanelDescription,
  PanelFrame,
  PanelHeader,
  PanelMessage,
  PanelRoot,
  PanelTitle,
  type PanelFrameProps,
  type PanelMessageProps,
  type PanelRootProps,
} from './Panel'
export { describeError, type PanelState } from './panel.utils'

/** The panel parts as one namespace: `<Panel.Root>`, `<Panel.Title>`, ... */
export const Panel = {
  Root: PanelRoot,
  Header: PanelHeader,
  Title: PanelTitle,
  Description: PanelDescription,
  Body: PanelBody,
  Message: PanelMessage,
}
