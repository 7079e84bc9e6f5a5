import { ChatMessageItem, ChatTranscript } from './ChatTranscript'
import { JsonView } from './JsonView'
import { SpanDetail } from './SpanDetail'
import { TraceSummary, TraceToolbar } from './TraceViewer'
import { TraceTree } from './TraceTree'

export { ColumnPicker, DataTable, listFeatures, type ColumnPickerProps, type DataTableProps, type ListFeatures, type ListTable, type RowNoun } from './DataTable'
export { GenerationsTable, type GenerationsSort, type GenerationsTableProps } from './GenerationsTable'
export type { ListPanelProps } from './ListPanel'
export { TracesTable, type TracesSort, type TracesTableProps } from './TracesTable'
export { TraceExplorer, type TraceExplorerList, type TraceExplorerProps } from './TraceExplorer'
export {
  TraceSummary,
  TraceToolbar,
  TraceViewer,
  WHOLE_TRACE_EVENT_LIMIT,
  type TraceSummaryProps,
  type TraceToolbarProps,
  type TraceViewerProps,
} from './TraceViewer'
export { TraceTree, type TraceTreeProps } from './TraceTree'
export { SpanDetail, type NodeContent, type SpanDetailProps } from './SpanDetail'
export { ChatMessageItem, ChatTranscript, type ChatMessageItemProps, type ChatTranscriptProps } from './ChatTranscript'
export { JsonView, type JsonViewProps } from './JsonView'
export { DEFAULT_MAX_SPANS, useTraceViewer, type TraceViewerState, type TraceViewerStateOptions } from './useTraceViewer'
export { useKeysetPages, type KeysetPages, type KeysetRow, type KeysetSpec } from './useKeysetPages'
export { nodeEvents, type NodeEvents, type TimeWindow, type TraceNodeKind } from './traceViewer.utils'

/** The trace viewer's parts as one namespace, to compose a viewer of your own around `useTraceViewer`. */
export const TraceViewerParts = {
  Toolbar: TraceToolbar,
  Summary: TraceSummary,
  Tree: TraceTree,
  Detail: SpanDetail,
  Transcript: ChatTranscript,
  Message: ChatMessageItem,
  Json: JsonView,
}
