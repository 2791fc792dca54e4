import { csrfHeaders, errorFromBody } from '../api/client.js'
import type { PinStatus } from '../api/types.js'

export type UploadKind = 'files' | 'folder' | 'car'

export interface UploadRequest {
  readonly kind: UploadKind
  readonly files: readonly File[]
  readonly name: string | undefined
  onProgress(loaded: number, total: number): void
  readonly signal?: AbortSignal
}

/**
 * Sends an upload to `POST /upload/web/` with XMLHttpRequest, the one browser API that reports
 * request-body progress (fetch has no upload progress). Files and folders go as multipart with
 * each file's relative path as its filename; a CAR goes as its raw bytes.
 *
 * @returns the PinStatus (or one per CAR root).
 * @throws ApiError when the server refuses it.
 */
export function upload(request: UploadRequest): Promise<PinStatus | PinStatus[]> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    const name = request.name ? `?name=${encodeURIComponent(request.name)}` : ''
    xhr.open('POST', `/upload/web/${name}`)
    xhr.withCredentials = true
    xhr.setRequestHeader('Accept', 'application/json')
    for (const [header, value] of Object.entries(csrfHeaders())) xhr.setRequestHeader(header, value)
    xhr.upload.onprogress = (event) => request.onProgress(event.loaded, event.total)
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(xhr.responseText) as PinStatus | PinStatus[])
        } catch (cause) {
          reject(cause)
        }
      } else reject(errorFromBody(xhr.status, xhr.responseText))
    }
    xhr.onerror = () => reject(new Error('The upload failed: the connection was lost'))
    xhr.onabort = () => reject(new Error('The upload was cancelled'))
    request.signal?.addEventListener('abort', () => xhr.abort())

    if (request.kind === 'car') {
      const [car] = request.files
      if (!car) return reject(new Error('Choose a CAR file'))
      xhr.setRequestHeader('Content-Type', 'application/vnd.ipld.car')
      xhr.send(car)
      return
    }
    const body = new FormData()
    for (const file of request.files) {
      // webkitRelativePath is "folder/sub/file.txt" for a folder pick, empty for single files.
      body.append('file', file, file.webkitRelativePath || file.name)
    }
    xhr.send(body)
  })
}
